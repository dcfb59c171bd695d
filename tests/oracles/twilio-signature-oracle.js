// Differential oracle for TwilioSignatureValidator: Twilio's official Node helper (npm twilio, pinned in package-lock.json).
// stdin: JSON array of cases { token, url, params: { key: string | string[] } | null, signature, body: string | null,
//   signOver: null | "whatwg" | "whatwg+port" | "legacy" | "legacy+port", signToken: null | string }.
// signOver asks the oracle to sign the case itself over Node's own lenient form of the URL: "whatwg" is
// new URL(url).toString() (Node's WHATWG parser), "legacy" that URL with its query passed through the legacy
// querystring.parse/stringify, "+port" the scheme's default port added when the form has no port; signToken, when
// given, signs with another token than the one validating (a negative case).
// stdout: JSON array of { expected, valid, error, signature, signedUrl } in the same order, where
//   expected = getExpectedTwilioSignature(token, url, params or {}) on the exact URL (the strict answer),
//   valid    = validateRequestWithBody(...) when body is a string, else validateRequest(...) (Node's full, lenient check).
"use strict";
const twilio = require("twilio");
const querystring = require("querystring");

function lenientForm(url, signOver) {
  let form = new URL(url).toString();
  if (signOver.startsWith("legacy")) {
    const q = form.indexOf("?");
    if (q !== -1 && q !== form.length - 1) {
      form = form.slice(0, q) + "?" + querystring.stringify(querystring.parse(form.slice(q + 1)));
    }
  }
  if (signOver.endsWith("+port")) {
    const parsed = new URL(form);
    if (!parsed.port) {
      const afterScheme = form.indexOf("//") + 2;
      const authorityEnd = form.slice(afterScheme).search(/[/?#]|$/) + afterScheme;
      form = form.slice(0, authorityEnd) + (parsed.protocol === "https:" ? ":443" : ":80") + form.slice(authorityEnd);
    }
  }
  return form;
}

let input = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk) => (input += chunk));
process.stdin.on("end", () => {
  const cases = JSON.parse(input);
  const results = cases.map((c) => {
    const params = c.params || {};
    const result = { expected: twilio.getExpectedTwilioSignature(c.token, c.url, params), valid: false, error: null, signature: c.signature, signedUrl: null };
    try {
      if (c.signOver) {
        result.signedUrl = lenientForm(c.url, c.signOver);
        result.signature = c.signature = twilio.getExpectedTwilioSignature(c.signToken || c.token, result.signedUrl, params);
      }
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
