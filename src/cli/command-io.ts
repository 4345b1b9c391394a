/** The output, exit, clock and signal handling of the report commands, which tests replace. */
export interface CommandIo {
  write: (text: string) => void;
  /** Writes to stderr, for lines that are not the command's output. */
  writeError: (text: string) => void;
  setExitCode: (code: number) => void;
  /** Ends the process at once. Only the Ctrl-C handler calls it. */
  exit: (code: number) => void;
  now: () => Date;
}

export const processIo: CommandIo = {
  write: (text) => process.stdout.write(text),
  writeError: (text) => process.stderr.write(text),
  setExitCode: (code) => {
    process.exitCode = code;
  },
  exit: (code) => process.exit(code),
  now: () => new Date(),
};
