/**
 * The database could not be reached or did not answer in time. Raised by the platform's database
 * client (a connection that could not be made, a server gone silent), so the kernel can tell a
 * database outage from any other socket failure without importing a driver.
 */
export class DatabaseUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DatabaseUnavailableError';
  }
}
