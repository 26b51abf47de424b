// Bounds of the device protocol itself (PROTOCOL.md), shared by every decoder.
export const MAX_PAYLOAD_BYTES = 64 * 1024;
export const DEVICE_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
/** Earliest timestamp that can be real: before this a board's clock was never set. */
export const EARLIEST_PLAUSIBLE_MS = Date.UTC(2000, 0, 1);
/** Beyond a year ahead a timestamp is absurd, not merely a drifting clock. */
export const ABSURD_FUTURE_MS = 366 * 24 * 3600 * 1000;
/** A clock this far ahead of ours is not trusted: the message is stored at its arrival time. */
export const SUSPECT_FUTURE_MS = 5 * 60 * 1000;
/** Older than this is flagged: a board replaying its offline buffer is rarely a week behind. */
export const SUSPECT_PAST_MS = 7 * 24 * 3600 * 1000;
