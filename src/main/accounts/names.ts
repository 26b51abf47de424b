import { z } from 'zod';

// What a user name and a password may be. Roles themselves are in the shared contract (src/shared/roles.ts).

/** A user name is what the audit trail shows, so plain and short. */
export const userNameSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/, 'a user name is 1-64 letters, digits, ".", "_", "@" or "-", starting with a letter or digit');

export const MIN_PASSWORD_LENGTH = 10;
export const passwordSchema = z
  .string()
  .min(MIN_PASSWORD_LENGTH, `a password needs at least ${MIN_PASSWORD_LENGTH} characters`)
  .max(1024, 'a password is at most 1024 characters');
