import { describe, expect, it } from 'vitest';
import { isSecretKey } from '../../src/spec/secret-names.js';

describe('names whose values are never shown', () => {
  it('a key, token, secret, password or credentials, written with _, - or camelCase, and Authorization', () => {
    for (const name of ['api_key', 'API_KEY', 'X-Api-Key', 'apiKey', 'apikey', 'token', 'accessToken', 'GITHUB_TOKEN', 'client_secret', 'clientSecret', 'password', 'db_password', 'dbPassword', 'passwd', 'credentials', 'Authorization']) {
      expect(isSecretKey(name), name).toBe(true);
    }
  });

  it('not a name that only ends in those letters, or has them as a word before the last', () => {
    for (const name of ['monkey', 'turkey', 'tokens_used', 'max_tokens', 'key_count', 'password_hint_shown', 'secretary', 'idea', 'base_url', 'author']) {
      expect(isSecretKey(name), name).toBe(false);
    }
  });
});
