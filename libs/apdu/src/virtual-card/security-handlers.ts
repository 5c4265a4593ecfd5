import { equalBytes } from '../bytes';
import { SW } from '../apdu/status-words';
import { authCryptogram, blockSizeOf } from '../card/secure-messaging';
import { AUTH_CHALLENGE_LENGTH, KEY_TYPE, MAC_CHALLENGE_LENGTH } from '../card/profile';
import { CardState, consumeChallenge, Handler, sw } from './card-state';

/** GET CHALLENGE: 4 bytes for a MAC IV or 8 for EXTERNAL AUTHENTICATE; replaces any earlier challenge. */
export const getChallenge: Handler = (state, cmd) => {
  if (cmd.p1 !== 0 || cmd.p2 !== 0) return sw(SW.INCORRECT_P1P2);
  if (cmd.data.length !== 0 || (cmd.le !== MAC_CHALLENGE_LENGTH && cmd.le !== AUTH_CHALLENGE_LENGTH)) return sw(SW.WRONG_LENGTH);
  state.challenge = state.random(cmd.le);
  return sw(SW.SUCCESS, state.challenge);
};

/**
 * EXTERNAL AUTHENTICATE: cryptogram = E(K, challenge || 00..) with the current DF's
 * external-auth key P2. A wrong cryptogram costs a try (63Cx); at zero the key is blocked (6983).
 */
export const externalAuthenticate: Handler = (state: CardState, cmd) => {
  if (cmd.p1 !== 0) return sw(SW.INCORRECT_P1P2);
  if (cmd.data.length !== blockSizeOf(state.algorithm)) return sw(SW.WRONG_LENGTH);
  const key = state.currentDf.keys?.get(cmd.p2);
  if (!key || key.type !== KEY_TYPE.EXTERNAL_AUTH) return sw(SW.REFERENCED_DATA_NOT_FOUND);
  if (key.triesLeft === 0) return sw(SW.AUTH_METHOD_BLOCKED);
  const challenge = consumeChallenge(state);
  if (!challenge) return sw(SW.REFERENCED_DATA_INVALIDATED);
  if (!equalBytes(cmd.data, authCryptogram(state.algorithm, key.value, challenge))) {
    key.triesLeft -= 1;
    return sw(0x63c0 | key.triesLeft);
  }
  key.triesLeft = key.maxTries;
  state.authenticated.add(state.currentDf);
  return sw(SW.SUCCESS);
};
