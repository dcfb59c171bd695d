#!/usr/bin/env node
// Differential oracle for PhoneNumber: reads a JSON array of {"input": string, "region": string|null} on stdin and
// writes a JSON array of {"ok": bool, "e164": string|null, "possible": bool, "reason": string|null, "error": string|null}
// on stdout, one entry per input, using google-libphonenumber's parse (not parseAndKeepRawInput), isPossibleNumber and
// isPossibleNumberWithReason (reason: IS_POSSIBLE, IS_POSSIBLE_LOCAL_ONLY, TOO_SHORT, TOO_LONG, INVALID_LENGTH, ...).
'use strict';
const { PhoneNumberUtil, PhoneNumberFormat } = require('google-libphonenumber');

const reasons = Object.fromEntries(Object.entries(PhoneNumberUtil.ValidationResult).map(([name, value]) => [value, name]));

const util = PhoneNumberUtil.getInstance();
let text = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', chunk => { text += chunk; });
process.stdin.on('end', () => {
  const cases = JSON.parse(text);
  const results = cases.map(({ input, region }) => {
    try {
      const number = util.parse(input, region || undefined);
      return {
        ok: true,
        e164: util.format(number, PhoneNumberFormat.E164),
        possible: util.isPossibleNumber(number),
        reason: reasons[util.isPossibleNumberWithReason(number)] || null,
        error: null,
      };
    } catch (e) {
      return { ok: false, e164: null, possible: false, reason: null, error: String(e && e.message || e) };
    }
  });
  process.stdout.write(JSON.stringify(results));
});
