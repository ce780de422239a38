/** Exit codes of every command. */
export const EXIT = {
  ok: 0,
  /** Findings of severity error, or a job that FAILED. */
  failed: 1,
  /** Bad input: unreadable file, bad flag, unknown resource. */
  input: 2,
  /** An outside system failed (Docker, AWS). */
  environment: 3,
  /** A bug. */
  internal: 70,
  /** `local run` stopped by SIGINT (Ctrl-C), 128 + 2 as shells report it; its jobs keep running. */
  interrupted: 130,
  /** `local run` stopped by SIGTERM, 128 + 15; its jobs keep running. */
  terminated: 143,
} as const;
