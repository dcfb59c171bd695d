namespace OmniChannel.Messaging.Phone.Internal;

/// <summary>
/// A numbering-plan pattern (international prefix, national prefix or the general national-number pattern) expanded at generation time into its alternatives,
/// each a fixed sequence of digit classes, tried in the order a backtracking regular-expression matcher would try them.
/// Matching walks digits with bit masks: no regular expression and no allocation.
/// </summary>
internal sealed class PrefixPattern
{
    private readonly Alternative[] _alternatives;

    private PrefixPattern(Alternative[] alternatives, int groupCount)
    {
        _alternatives = alternatives;
        GroupCount = groupCount;
    }

    /// <summary>The number of capture groups in the original pattern.</summary>
    public int GroupCount { get; }

    /// <summary>Parses the encoded alternatives written by tests/oracles/generate-numbering-plan.js.</summary>
    public static PrefixPattern? Parse(string encoded)
    {
        if (encoded.Length == 0)
        {
            return null;
        }

        var parts = encoded.Split(';');
        var alternatives = new Alternative[parts.Length];
        var groupCount = 0;
        for (var i = 0; i < parts.Length; i++)
        {
            alternatives[i] = Alternative.Parse(parts[i]);
            groupCount = Math.Max(groupCount, alternatives[i].GroupCount);
        }

        return new PrefixPattern(alternatives, groupCount);
    }

    /// <summary>Finds the first alternative matching at the start of <paramref name="digits"/> (ASCII digits only).</summary>
    public bool TryMatch(ReadOnlySpan<char> digits, out PrefixMatch match)
    {
        foreach (var alternative in _alternatives)
        {
            if (alternative.TryMatch(digits, GroupCount, out match))
            {
                return true;
            }
        }

        match = default;
        return false;
    }

    /// <summary>Determines whether the whole of <paramref name="digits"/> (ASCII digits only) matches one alternative.</summary>
    public bool MatchesEntirely(ReadOnlySpan<char> digits)
    {
        foreach (var alternative in _alternatives)
        {
            if (alternative.MatchesEntirely(digits))
            {
                return true;
            }
        }

        return false;
    }

    private sealed class Alternative
    {
        private readonly ushort[] _masks;
        private readonly int[] _groupStarts;
        private readonly int[] _groupEnds;
        private readonly bool _anchoredAtEnd;

        private Alternative(ushort[] masks, int[] groupStarts, int[] groupEnds, bool anchoredAtEnd)
        {
            _masks = masks;
            _groupStarts = groupStarts;
            _groupEnds = groupEnds;
            _anchoredAtEnd = anchoredAtEnd;
        }

        public int GroupCount => _groupStarts.Length;

        public static Alternative Parse(string text)
        {
            var masks = new List<ushort>();
            var starts = new List<int>();
            var ends = new List<int>();
            var open = new Stack<int>();
            var anchored = false;
            if (text != "e")
            {
                for (var i = 0; i < text.Length; i++)
                {
                    var c = text[i];
                    switch (c)
                    {
                        case 'd':
                            masks.Add(0x3FF);
                            break;
                        case '[':
                            ushort mask = 0;
                            for (i++; text[i] != ']'; i++)
                            {
                                mask |= (ushort)(1 << (text[i] - '0'));
                            }

                            masks.Add(mask);
                            break;
                        case '(':
                            open.Push(starts.Count);
                            starts.Add(masks.Count);
                            ends.Add(-1);
                            break;
                        case ')':
                            ends[open.Pop()] = masks.Count;
                            break;
                        case '$':
                            anchored = true;
                            break;
                        default:
                            masks.Add((ushort)(1 << (c - '0')));
                            break;
                    }
                }
            }

            return new Alternative([.. masks], [.. starts], [.. ends], anchored);
        }

        public bool MatchesEntirely(ReadOnlySpan<char> digits)
        {
            if (digits.Length != _masks.Length)
            {
                return false;
            }

            for (var i = 0; i < _masks.Length; i++)
            {
                if ((_masks[i] & (1 << (digits[i] - '0'))) == 0)
                {
                    return false;
                }
            }

            return true;
        }

        public bool TryMatch(ReadOnlySpan<char> digits, int patternGroupCount, out PrefixMatch match)
        {
            match = default;
            if (digits.Length < _masks.Length || (_anchoredAtEnd && digits.Length != _masks.Length))
            {
                return false;
            }

            for (var i = 0; i < _masks.Length; i++)
            {
                if ((_masks[i] & (1 << (digits[i] - '0'))) == 0)
                {
                    return false;
                }
            }

            match = new PrefixMatch(
                _masks.Length,
                _groupStarts.Length > 0 ? _groupStarts[0] : -1,
                _groupStarts.Length > 0 ? _groupEnds[0] : -1,
                _groupStarts.Length > 1 ? _groupStarts[1] : -1,
                _groupStarts.Length > 1 ? _groupEnds[1] : -1,
                patternGroupCount > 0 && _groupStarts.Length == patternGroupCount
                    && _groupEnds[patternGroupCount - 1] > _groupStarts[patternGroupCount - 1]);
            return true;
        }
    }
}

/// <summary>The result of a <see cref="PrefixPattern"/> match: its length and the first two capture groups.</summary>
internal readonly record struct PrefixMatch(int Length, int Group1Start, int Group1End, int Group2Start, int Group2End, bool LastGroupParticipated)
{
    public bool TryGetGroup(int group, out int start, out int end)
    {
        (start, end) = group switch
        {
            1 => (Group1Start, Group1End),
            2 => (Group2Start, Group2End),
            _ => (-1, -1),
        };
        return start >= 0 && end >= start;
    }
}
