import { describe, expect, it } from 'vitest';
import { discordCode } from './errors.js';

/** What @discordjs/rest throws for a refusal: a DiscordAPIError named `DiscordAPIError[code]`. */
const refusal = (code: number) => Object.assign(new Error('Unknown Channel'), { name: `DiscordAPIError[${code}]`, code });

describe('discordCode', () => {
  it("reads the numeric code of Discord's refusal only", () => {
    expect(discordCode(refusal(10003))).toBe(10003);
    expect(discordCode(Object.assign(new Error('network'), { code: 'ECONNRESET' }))).toBeUndefined();
    // A numeric code on an error that is not Discord's refusal is not one.
    expect(discordCode(Object.assign(new Error('other library'), { code: 10003 }))).toBeUndefined();
    expect(discordCode(null)).toBeUndefined();
    expect(discordCode({ name: 'DiscordAPIError[10003]', code: 10003 })).toBeUndefined();
    // @discordjs/rest types a DiscordAPIError's code as number | string (OAuth errors carry a word).
    expect(discordCode(Object.assign(new Error('Invalid grant'), { name: 'DiscordAPIError[invalid_grant]', code: 'invalid_grant' }))).toBeUndefined();
  });
});
