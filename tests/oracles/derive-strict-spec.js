#!/usr/bin/env node
// Derives a STRICT copy of one of Twilio's OpenAPI specs for Prism (reference §8).
//
// Prism, with the specs as published, keeps only the keys named in a form schema's `properties` before validating,
// so unknown or misspelt fields pass, and it rejects every array field sent as a single form value. For every
// application/x-www-form-urlencoded request schema this script therefore:
//   - turns each property into an exact, case-sensitive patternProperties entry (^Name$, regex-escaped),
//   - removes `properties` and sets additionalProperties: false, so any other key is a 422,
//   - lets an array property accept one item or the array (anyOf: [items, array]).
// Usage: node derive-strict-spec.js <input.json> <output.json>
'use strict';
const fs = require('fs');

function escapeRegex(name) {
  return name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function resolve(spec, schema) {
  let current = schema;
  const seen = new Set();
  while (current && current.$ref && !seen.has(current.$ref)) {
    seen.add(current.$ref);
    const path = current.$ref.replace(/^#\//, '').split('/');
    current = path.reduce((node, key) => (node ? node[key] : undefined), spec);
  }
  return current;
}

function strictify(spec, schema) {
  const resolved = resolve(spec, schema);
  if (!resolved || typeof resolved !== 'object' || !resolved.properties) {
    return { schema, changed: 0 };
  }
  const strict = { ...resolved };
  const patterns = {};
  for (const [name, property] of Object.entries(resolved.properties)) {
    const target = resolve(spec, property) || property;
    patterns[`^${escapeRegex(name)}$`] = target.type === 'array'
      ? { anyOf: [target.items || {}, target] }
      : property;
  }
  delete strict.properties;
  strict.patternProperties = patterns;
  strict.additionalProperties = false;
  return { schema: strict, changed: Object.keys(patterns).length };
}

function main() {
  const [input, output] = process.argv.slice(2);
  if (!input || !output) {
    console.error('usage: node derive-strict-spec.js <input.json> <output.json>');
    process.exit(2);
  }
  const spec = JSON.parse(fs.readFileSync(input, 'utf8'));
  let operations = 0;
  for (const pathItem of Object.values(spec.paths || {})) {
    for (const operation of Object.values(pathItem)) {
      const content = operation && operation.requestBody && operation.requestBody.content;
      const form = content && content['application/x-www-form-urlencoded'];
      if (!form || !form.schema) {
        continue;
      }
      const { schema, changed } = strictify(spec, form.schema);
      if (changed > 0) {
        form.schema = schema;
        operations++;
      }
    }
  }
  fs.writeFileSync(output, JSON.stringify(spec));
  console.log(`${output}: ${operations} form request schemas made strict`);
}

main();
