// Differential oracle for TwilioSignatureValidator: Twilio's official Node helper (npm twilio, pinned in package-lock.json).
// stdin: JSON array of cases { token, url, params: { key: string | string[] } | null, signature, body: string | null }.
// stdout: JSON array of { expected, valid, error } in the same order, where
//   expected = getExpectedTwilioSignature(token, url, params or {}) on the exact URL (the strict answer),
//   valid    = validateRequestWithBody(...) when body is a string, else validateRequest(...) (Node's full, lenient check).
"use strict";
const twilio = require("twilio");

let input = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk) => (input += chunk));
process.stdin.on("end", () => {
  const cases = JSON.parse(input);
  const results = cases.map((c) => {
    const params = c.params || {};
    const result = { expected: twilio.getExpectedTwilioSignature(c.token, c.url, params), valid: false, error: null };
    try {
      result.valid = typeof c.body === "string"
        ? twilio.validateRequestWithBody(c.token, c.signature, c.url, c.body)
        : twilio.validateRequest(c.token, c.signature, c.url, params);
    } catch (e) {
      result.error = String(e && e.message ? e.message : e);
    }
    return result;
  });
  process.stdout.write(JSON.stringify(results));
});
