/**
 * Drops the operator fix that `AdreportError` appends to its message (". Fix: …") from a run note
 * or a quoted error. The email, Slack and the analysis then state what is missing without telling
 * a report reader to run commands, while the ops message and the log keep the fix. A fix ends at
 * the text's end or at the ")" that closes the quoted error.
 */
export function stripOperatorFix(text: string): string {
  // NOTE: a fix that itself contains "(" or ")" is left in place, because its end is unclear.
  return text.replace(/\. Fix: [^()]*?(?=\)|$)/g, '');
}
