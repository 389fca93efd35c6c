/** Process exit codes used by every `prefect` command. One map, documented in the README. */
export const ExitCode = {
  OK: 0,
  /** A bug: the message asks for a report. */
  INTERNAL: 1,
  /** Bad command-line usage: unknown flag, bad flag value. */
  USAGE: 2,
  /** Bad configuration: environment variable or config file. */
  CONFIG: 3,
  /** The API is unreachable, refused the request, or rejected the credentials. */
  CONTROL_PLANE: 4,
  /** `agent status`: no healthy agent. */
  NO_HEALTHY_AGENT: 5,
  /** `agent local install --check`: the installed file drifted from what the flags render. */
  DRIFT: 6,
  /** A watched flow run ended in a state other than Success. */
  RUN_FAILED: 7,
} as const;

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];
