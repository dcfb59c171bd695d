#!/usr/bin/env node
// Generates src/OmniChannel.Messaging.Core/Phone/Internal/NumberingPlan.txt from the metadata (facts) of the npm package
// google-libphonenumber pinned in package-lock.json. Run: node tests/oracles/generate-numbering-plan.js [output-path]
// (the test NumberingPlan_EmbeddedResource_MatchesTheGenerator passes a temporary path and compares).
//
// Line format (one region, or one non-geographic calling code with region "001"):
//   region|callingCode|isMain|nationalPrefix|iddAlternatives|nationalPrefixForParsingAlternatives|transformRule|lengths|localOnlyLengths|nationalNumberAlternatives
// The two prefix patterns and the general national-number pattern are regular expressions in the metadata; they use only digits, classes, groups, alternation,
// ?, {n}, {n,m} and $, so this script expands each into its alternatives in the order a backtracking matcher tries them.
// An alternative is a sequence of tokens: a digit, [digits] (a class), d (any digit), ( and ) (capture group), $ (end).
// Alternatives are separated by ';', the empty alternative is written 'e'.
'use strict';
const path = require('path');
const fs = require('fs');
const { PhoneNumberUtil } = require('google-libphonenumber');

const util = PhoneNumberUtil.getInstance();
const MAX_ALTERNATIVES = 4000;

function parseRegex(src) {
  let i = 0;
  function parseAlternation() {
    const branches = [parseSequence()];
    while (src[i] === '|') { i++; branches.push(parseSequence()); }
    return { kind: 'alt', branches };
  }
  function parseSequence() {
    const items = [];
    while (i < src.length && src[i] !== '|' && src[i] !== ')') {
      let atom = parseAtom();
      while (src[i] === '?' || src[i] === '{') {
        let min, max;
        if (src[i] === '?') { min = 0; max = 1; i++; }
        else {
          const close = src.indexOf('}', i);
          const [a, b] = src.slice(i + 1, close).split(',');
          min = Number(a); max = b === undefined ? min : Number(b);
          if (b === '') throw new Error('open repetition in ' + src);
          i = close + 1;
        }
        atom = { kind: 'rep', atom, min, max };
      }
      items.push(atom);
    }
    return { kind: 'seq', items };
  }
  function parseAtom() {
    const c = src[i];
    if (c === '(') {
      let capture = true;
      i++;
      if (src.startsWith('?:', i)) { capture = false; i += 2; }
      const inner = parseAlternation();
      if (src[i] !== ')') throw new Error('unbalanced ' + src);
      i++;
      return { kind: 'group', capture, inner };
    }
    if (c === '[') {
      const close = src.indexOf(']', i);
      const body = src.slice(i + 1, close);
      i = close + 1;
      const digits = new Set();
      for (let k = 0; k < body.length; k++) {
        if (body[k + 1] === '-' && k + 2 < body.length) {
          for (let d = Number(body[k]); d <= Number(body[k + 2]); d++) digits.add(String(d));
          k += 2;
        } else if (body[k] === '\\' && body[k + 1] === 'd') {
          for (let d = 0; d <= 9; d++) digits.add(String(d));
          k++;
        } else digits.add(body[k]);
      }
      return { kind: 'class', digits: [...digits].sort().join('') };
    }
    if (c === '\\' && src[i + 1] === 'd') { i += 2; return { kind: 'class', digits: '0123456789' }; }
    if (c === '$') { i++; return { kind: 'end' }; }
    if (/[0-9~]/.test(c)) { i++; return { kind: 'class', digits: c }; }
    throw new Error(`unsupported '${c}' in ${src}`);
  }
  const tree = parseAlternation();
  if (i !== src.length) throw new Error('trailing input in ' + src);
  return tree;
}

// Expands a node into token arrays in backtracking priority order; group numbers are assigned left to right.
function expand(node, groupCounter) {
  switch (node.kind) {
    case 'alt': return node.branches.flatMap(b => expand(b, groupCounter));
    case 'seq': {
      let result = [[]];
      for (const item of node.items) {
        const parts = expand(item, groupCounter);
        const next = [];
        for (const a of result) for (const b of parts) next.push(a.concat(b));
        if (next.length > MAX_ALTERNATIVES) throw new Error('too many alternatives');
        result = next;
      }
      return result;
    }
    case 'group': {
      const n = node.capture ? ++groupCounter.n : 0;
      const inner = expand(node.inner, groupCounter);
      return node.capture ? inner.map(t => ['(', ...t, ')']) : inner;
    }
    case 'rep': {
      const before = groupCounter.n;
      const inner = expand(node.atom, groupCounter);
      if (groupCounter.n !== before && node.max > 1) throw new Error('repeated capture');
      const out = [];
      for (let count = node.max; count >= node.min; count--) {
        let acc = [[]];
        for (let k = 0; k < count; k++) {
          const next = [];
          for (const a of acc) for (const b of inner) next.push(a.concat(b));
          acc = next;
        }
        out.push(...acc);
      }
      return out;
    }
    case 'class': return [[node.digits]];
    case 'end': return [['$']];
  }
  throw new Error('unknown node');
}

function encode(pattern) {
  if (!pattern) return '';
  const alternatives = expand(parseRegex(pattern), { n: 0 })
    .filter(tokens => !tokens.some(t => t === '~' || t === '~'));
  return alternatives.map(tokens => tokens.length === 0 ? 'e' : tokens.map(t => {
    if (t === '(' || t === ')' || t === '$') return t;
    if (t === '0123456789') return 'd';
    return t.length === 1 ? t : `[${t}]`;
  }).join('')).join(';');
}

function lengths(desc, local) {
  const list = local ? desc.possibleLengthLocalOnlyArray() : desc.possibleLengthArray();
  return (list || []).filter(n => n > 0).join(',');
}

const lines = [];
for (const region of util.getSupportedRegions().slice().sort()) {
  const m = util.getMetadataForRegion(region);
  const cc = m.getCountryCode();
  const isMain = util.getRegionCodeForCountryCode(cc) === region ? 1 : 0;
  const npp = m.getNationalPrefixForParsing() || m.getNationalPrefix() || '';
  lines.push([region, cc, isMain, m.getNationalPrefix() || '', encode(m.getInternationalPrefix()), encode(npp),
    m.getNationalPrefixTransformRule() || '', lengths(m.getGeneralDesc(), false), lengths(m.getGeneralDesc(), true),
    encode(m.getGeneralDesc().getNationalNumberPattern())].join('|'));
}
for (const cc of util.getSupportedGlobalNetworkCallingCodes().slice().sort((a, b) => a - b)) {
  const m = util.getMetadataForNonGeographicalRegion(cc);
  lines.push(['001', cc, 1, '', '', '', '', lengths(m.getGeneralDesc(), false), lengths(m.getGeneralDesc(), true),
    encode(m.getGeneralDesc().getNationalNumberPattern())].join('|'));
}

const version = require('google-libphonenumber/package.json').version;
const header = `# Numbering plan generated by tests/oracles/generate-numbering-plan.js from google-libphonenumber ${version} metadata.\n`;
const target = process.argv[2] || path.join(__dirname, '..', '..', 'src', 'OmniChannel.Messaging.Core', 'Phone', 'Internal', 'NumberingPlan.txt');
fs.writeFileSync(target, header + lines.join('\n') + '\n');
console.error(`wrote ${lines.length} entries to ${target}`);
