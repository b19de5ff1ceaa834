import { EvoVoiceError, type EvoVoiceErrorOptions } from "./evo-voice-error.js";

/**
 * There is no usable sign-in: no credentials were configured, or a stored session expired and
 * there is no password to renew it. The message says which, and how to sign in.
 */
export class NotSignedInError extends EvoVoiceError {
  override readonly name = "NotSignedInError";

  constructor(message: string, options: EvoVoiceErrorOptions = {}) {
    super("not_signed_in", message, options);
  }
}

/** The server refused the user name and password (or answered the sign-in with something unusable). */
export class SignInFailedError extends EvoVoiceError {
  override readonly name = "SignInFailedError";

  constructor(message: string, options: EvoVoiceErrorOptions = {}) {
    super("sign_in_failed", message, options);
  }
}

/** Signed in, but not allowed: a missing role, or an account the user cannot reach (HTTP 403). */
export class PermissionDeniedError extends EvoVoiceError {
  override readonly name = "PermissionDeniedError";

  constructor(message: string, options: EvoVoiceErrorOptions = {}) {
    super("permission_denied", message, options);
  }
}
