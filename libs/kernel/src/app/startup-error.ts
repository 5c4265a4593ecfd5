/** A dependency named by a configuration variable could not be used at start-up. */
export class StartupError extends Error {
  constructor(readonly variable: string, message: string) {
    super(message);
    this.name = 'StartupError';
  }
}
