/** Base class so callers can catch everything this library throws on bad input with one check. */
export class ApduLibraryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** Malformed hex, APDU or R-APDU bytes. */
export class ApduFormatError extends ApduLibraryError {}

/** Truncated or otherwise invalid BER-TLV. */
export class TlvFormatError extends ApduLibraryError {}

/** Wrong key length, IV length or unaligned data handed to a crypto primitive. */
export class CryptoInputError extends ApduLibraryError {}

/** Personalisation input (uid, cardholder data, master key) that cannot be turned into a script. */
export class PersonalisationInputError extends ApduLibraryError {}
