// Differential oracle for the AspNetCore webhook receiver: Twilio's official Node helper (npm twilio, pinned in
// package-lock.json) signs generated requests, which the tests then post to the middleware over real HTTP.
// stdin: JSON { token, cases: [ { url, params: { key: string | string[] } | null, body: string | null } ] }.
// stdout: JSON array, same order, of { url, signature }:
//   form cases: url unchanged, signature = getExpectedTwilioSignature(token, url, params);
//   JSON cases (body is a string): url + bodySHA256=<hex sha256 of the body>, signature over that URL with no params,
//   and validateRequestWithBody must accept it (checked here, so a bad oracle fails loudly).
"use strict";
const crypto = require("crypto");
const twilio = require("twilio");

let input = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk) => (input += chunk));
process.stdin.on("end", () => {
  const { token, cases } = JSON.parse(input);
  const results = cases.map((c) => {
    if (typeof c.body === "string") {
      const hash = crypto.createHash("sha256").update(Buffer.from(c.body, "utf8")).digest("hex");
      const url = c.url + (c.url.includes("?") ? "&" : "?") + "bodySHA256=" + hash;
      const signature = twilio.getExpectedTwilioSignature(token, url, {});
      if (!twilio.validateRequestWithBody(token, signature, url, c.body)) {
        throw new Error("node rejected its own JSON signature for " + url);
      }
      return { url, signature };
    }
    const params = c.params || {};
    const signature = twilio.getExpectedTwilioSignature(token, c.url, params);
    if (!twilio.validateRequest(token, signature, c.url, params)) {
      throw new Error("node rejected its own signature for " + c.url);
    }
    return { url: c.url, signature };
  });
  process.stdout.write(JSON.stringify(results));
});
