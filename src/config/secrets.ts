export { isSecretKey } from '../spec/secret-names.js';

/** Environment variables holding keys, redacted wherever they appear. */
export const SECRET_ENV_VARS = ['OPENAI_API_KEY', 'ANTHROPIC_API_KEY'] as const;

/** How a secret is shown: never any part of it. */
export const REDACTED = '***';
