import { shortenNamesInText, stripBidiControls } from '../shared/display-text.ts';
import type { ReportData } from '../shared/types.ts';
import { escapeMrkdwn, replaceFormattingMarks, stripControlCharacters } from './mrkdwn.ts';

// biome-ignore lint/suspicious/noControlCharactersInRegex: the analysis turns these into spaces
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f]+/g;

/** Escapes one line of free text that may quote the names of a report. */
export type TextEscaper = (text: string) => string;

/**
 * Builds the escaper for the free text of a report: the analysis lines, notes and reasons. It
 * treats them as `escapeName` treats a name: control characters and bidi controls removed, the
 * formatting marks replaced, and every report name cut to the display length.
 */
export function createTextEscaper(report: ReportData): TextEscaper {
  const names = reportNames(report);

  return (text) => {
    const flat = stripControlCharacters(text).replace(/[\n\t]+/g, ' ');

    return escapeMrkdwn(replaceFormattingMarks(shortenNamesInText(flat, names)));
  };
}

/**
 * Lists the report, property, campaign, ad set and alert names as the analysis quotes them:
 * control characters turned into spaces and bidi controls removed.
 */
function reportNames(report: ReportData): string[] {
  const names = [report.reportName, ...report.alerts.map((alert) => alert.name)];
  for (const property of report.properties) {
    names.push(property.name);
    for (const campaign of property.campaigns) {
      names.push(campaign.week.campaignName);
      for (const adset of campaign.week.adsets) names.push(adset.adsetName);
    }
  }

  return names.map((name) => stripBidiControls(name.replace(CONTROL_CHARACTERS, ' ')).trim());
}
