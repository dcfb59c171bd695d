namespace OmniChannel.Messaging.Core.Tests.Status;

public sealed class MessageStatusReducerTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private static MessageStatusEvent E(MessageStatus status, int seconds, int? error = null) => new(status, T0.AddSeconds(seconds), error);

    [Fact]
    public void Reduce_NoEvents_IsEmpty()
    {
        Assert.True(MessageStatusReducer.Reduce([]).IsEmpty);
    }

    [Fact]
    public void Reduce_LifecycleOutOfOrder_IsDelivered()
    {
        var result = MessageStatusReducer.Reduce([E(MessageStatus.Delivered, 3), E(MessageStatus.Queued, 1), E(MessageStatus.Sent, 2), E(MessageStatus.Accepted, 0)]);

        Assert.Equal(MessageStatus.Delivered, result.Status);
    }

    [Fact]
    public void Reduce_SentArrivingAfterDelivered_DoesNotRegress()
    {
        var result = MessageStatusReducer.Reduce([E(MessageStatus.Delivered, 3), E(MessageStatus.Sent, 9)]);

        Assert.Equal(MessageStatus.Delivered, result.Status);
    }

    [Fact]
    public void Reduce_ReadThenEarlierOrLaterDelivered_IsRead()
    {
        Assert.Equal(MessageStatus.Read, MessageStatusReducer.Reduce([E(MessageStatus.Read, 5), E(MessageStatus.Delivered, 4)]).Status);
        Assert.Equal(MessageStatus.Read, MessageStatusReducer.Reduce([E(MessageStatus.Read, 5), E(MessageStatus.Delivered, 9)]).Status);
    }

    [Fact]
    public void Reduce_UndeliveredAfterDelivered_IsUndeliveredWithItsErrorCode()
    {
        var result = MessageStatusReducer.Reduce([E(MessageStatus.Delivered, 5), E(MessageStatus.Undelivered, 10, 30003)]);

        Assert.Equal(MessageStatus.Undelivered, result.Status);
        Assert.Equal(30003, result.ErrorCode);
    }

    [Fact]
    public void Reduce_DeliveredStrictlyLaterThanUndelivered_IsDelivered()
    {
        var result = MessageStatusReducer.Reduce([E(MessageStatus.Undelivered, 10, 30003), E(MessageStatus.Delivered, 11)]);

        Assert.Equal(MessageStatus.Delivered, result.Status);
        Assert.Null(result.ErrorCode);
    }

    [Fact]
    public void Reduce_DeliveredAtSameInstantAsUndelivered_IsUndelivered()
    {
        var result = MessageStatusReducer.Reduce([E(MessageStatus.Delivered, 10), E(MessageStatus.Undelivered, 10, 30005)]);

        Assert.Equal(MessageStatus.Undelivered, result.Status);
        Assert.Equal(30005, result.ErrorCode);
    }

    [Fact]
    public void Reduce_ReadAfterUndelivered_IsRead()
    {
        Assert.Equal(MessageStatus.Read, MessageStatusReducer.Reduce([E(MessageStatus.Undelivered, 10, 30003), E(MessageStatus.Read, 1)]).Status);
    }

    [Fact]
    public void Reduce_FailedAmongSuccesses_IsFailedTerminalWithItsErrorCode()
    {
        var result = MessageStatusReducer.Reduce([E(MessageStatus.Sent, 1), E(MessageStatus.Failed, 2, 63016), E(MessageStatus.Read, 9), E(MessageStatus.Delivered, 8)]);

        Assert.Equal(MessageStatus.Failed, result.Status);
        Assert.Equal(63016, result.ErrorCode);
    }

    [Fact]
    public void Reduce_FailedAndCanceled_IsFailed()
    {
        Assert.Equal(MessageStatus.Failed, MessageStatusReducer.Reduce([E(MessageStatus.Failed, 1, 30001), E(MessageStatus.Canceled, 2)]).Status);
    }

    [Fact]
    public void Reduce_TwoFailuresOfSameStatus_LaterOneWinsWithItsCode()
    {
        var result = MessageStatusReducer.Reduce([E(MessageStatus.Undelivered, 20, 30007), E(MessageStatus.Undelivered, 10, 30003)]);

        Assert.Equal(30007, result.ErrorCode);
    }

    [Fact]
    public void Reduce_SameFailureSameInstantDifferentCodes_GreaterCodeWinsInAnyOrder()
    {
        var a = E(MessageStatus.Failed, 1, 30001);
        var b = E(MessageStatus.Failed, 1, 30008);

        Assert.Equal(30008, MessageStatusReducer.Reduce([a, b]).ErrorCode);
        Assert.Equal(30008, MessageStatusReducer.Reduce([b, a]).ErrorCode);
    }

    [Fact]
    public void Reduce_UnknownStatus_RanksBelowEveryKnownStatus()
    {
        Assert.Equal(MessageStatus.Accepted, MessageStatusReducer.Reduce([E("future_status", 99), E(MessageStatus.Accepted, 0)]).Status);
        Assert.Equal("future_status", MessageStatusReducer.Reduce([E("future_status", 99)]).Status.Value);
    }

    [Fact]
    public void Reduce_PartiallyDelivered_RanksBetweenSentAndDelivered()
    {
        Assert.Equal(MessageStatus.PartiallyDelivered, MessageStatusReducer.Reduce([E(MessageStatus.Sent, 9), E(MessageStatus.PartiallyDelivered, 1)]).Status);
        Assert.Equal(MessageStatus.Delivered, MessageStatusReducer.Reduce([E(MessageStatus.PartiallyDelivered, 9), E(MessageStatus.Delivered, 1)]).Status);
    }

    [Fact]
    public void Reduce_TransientOrder_FollowsDocumentedPrecedence()
    {
        MessageStatus[] ascending = [MessageStatus.Accepted, MessageStatus.Scheduled, MessageStatus.Queued, MessageStatus.Sending, MessageStatus.Receiving, MessageStatus.Sent, MessageStatus.Received, MessageStatus.PartiallyDelivered];
        for (var i = 1; i < ascending.Length; i++)
        {
            // The lower status carries the later timestamp: rank still wins outside the delivered/undelivered pair.
            Assert.True(MessageStatusReducer.Compare(E(ascending[i], 0), E(ascending[i - 1], 100)) > 0, $"{ascending[i]} > {ascending[i - 1]}");
        }
    }

    [Fact]
    public void Apply_EventByEvent_EqualsReduce()
    {
        MessageStatusEvent[] events = [E(MessageStatus.Queued, 1), E(MessageStatus.Undelivered, 5, 30003), E(MessageStatus.Sent, 2), E(MessageStatus.Delivered, 7)];
        var state = default(MessageStatusEvent);
        foreach (var e in events)
        {
            state = MessageStatusReducer.Apply(state, e);
        }

        Assert.Equal(MessageStatusReducer.Reduce(events), state);
        Assert.Equal(MessageStatus.Delivered, state.Status);
    }

    [Fact]
    public void Properties_EveryPermutationOfGeneratedSets_OrderFreeIdempotentAndMergeable()
    {
        var random = new Random(4242);
        MessageStatus[] pool =
        [
            MessageStatus.Accepted, MessageStatus.Scheduled, MessageStatus.Queued, MessageStatus.Sending, MessageStatus.Sent,
            MessageStatus.Delivered, MessageStatus.Read, MessageStatus.Undelivered, MessageStatus.Failed, MessageStatus.Canceled,
            MessageStatus.Receiving, MessageStatus.Received, MessageStatus.PartiallyDelivered, "future_status", "DELIVERED",
            "Future_Status", "FUTURE_STATUS", "Delivered",
        ];
        TimeSpan[] offsets = [TimeSpan.Zero, TimeSpan.FromHours(2), TimeSpan.FromHours(-5)];
        var permutations = 0;
        for (var set = 0; set < 300; set++)
        {
            var size = random.Next(1, 7);

            // Few distinct timestamps and error codes so ties are common.
            var events = Enumerable.Range(0, size)
                .Select(_ => new MessageStatusEvent(
                    pool[random.Next(pool.Length)],
                    T0.AddSeconds(random.Next(4)).ToOffset(offsets[random.Next(offsets.Length)]),
                    random.Next(3) switch { 0 => null, 1 => 30003, _ => 30007 }))
                .ToArray();
            var expected = MessageStatusReducer.Reduce(events);
            Assert.Contains(events, e => Identical(e, expected));

            // Exact comparisons (status text ordinally, offset included): MessageStatusEvent's own equality ignores both.
            foreach (var permutation in Permutations(events))
            {
                permutations++;
                AssertIdentical(expected, MessageStatusReducer.Reduce(permutation));

                // A duplicate, anywhere, changes nothing.
                var duplicated = permutation.Append(permutation[random.Next(permutation.Length)]).ToArray();
                AssertIdentical(expected, MessageStatusReducer.Reduce(duplicated));

                // Folding halves and merging equals folding the whole, for every split point.
                for (var split = 0; split <= permutation.Length; split++)
                {
                    var left = MessageStatusReducer.Reduce(permutation.AsSpan(0, split));
                    var right = MessageStatusReducer.Reduce(permutation.AsSpan(split));
                    AssertIdentical(expected, MessageStatusReducer.Merge(left, right));
                    AssertIdentical(expected, MessageStatusReducer.Merge(right, left));
                }
            }
        }

        Assert.True(permutations > 10_000, $"only {permutations} permutations");
    }

    [Fact]
    public void Reduce_SameEventDifferentCaseOrOffset_SameResultInEitherOrder()
    {
        var utc = new MessageStatusEvent("Future_Status", T0, 30003);
        var cased = new MessageStatusEvent("FUTURE_STATUS", T0.ToOffset(TimeSpan.FromHours(2)), 30003);
        var delivered = new MessageStatusEvent("DELIVERED", T0.ToOffset(TimeSpan.FromHours(-5)));
        var deliveredUtc = new MessageStatusEvent(MessageStatus.Delivered, T0);

        AssertIdentical(MessageStatusReducer.Reduce([utc, cased]), MessageStatusReducer.Reduce([cased, utc]));
        AssertIdentical(MessageStatusReducer.Reduce([delivered, deliveredUtc]), MessageStatusReducer.Reduce([deliveredUtc, delivered]));
        Assert.Equal("delivered", delivered.Status.Value); // known statuses take Twilio's spelling
        Assert.Equal(TimeSpan.Zero, MessageStatusReducer.Reduce([delivered, deliveredUtc]).Timestamp.Offset);
    }

    [Fact]
    public void Compare_AllPairs_IsAntisymmetricAndZeroOnlyForIdenticalEvents()
    {
        MessageStatus[] statuses = [MessageStatus.Queued, MessageStatus.Sent, MessageStatus.Delivered, MessageStatus.Undelivered, MessageStatus.Read, MessageStatus.Failed, "x_new", "X_NEW", "y_new"];
        var events = (from s in statuses
                      from t in new[] { 0, 1 }
                      from o in new[] { 0, 3 }
                      from c in new int?[] { null, 1 }
                      select new MessageStatusEvent(s, T0.AddSeconds(t).ToOffset(TimeSpan.FromHours(o)), c)).ToArray();
        foreach (var a in events)
        {
            foreach (var b in events)
            {
                var ab = MessageStatusReducer.Compare(a, b);
                Assert.Equal(Math.Sign(ab), -Math.Sign(MessageStatusReducer.Compare(b, a)));
                Assert.Equal(Identical(a, b), ab == 0);
                foreach (var c in events)
                {
                    if (ab > 0 && MessageStatusReducer.Compare(b, c) > 0)
                    {
                        Assert.True(MessageStatusReducer.Compare(a, c) > 0, $"transitivity {a} > {b} > {c}");
                    }
                }
            }
        }
    }

    [Theory]
    [InlineData("undelivered", "30003", 30003)]
    [InlineData("Delivered", "", null)]
    [InlineData(" read ", "not-a-number", null)]
    [InlineData("failed", "-1", null)]
    public void FromWebhook_FormFields_ParseStatusAndErrorCode(string status, string errorCode, int? expected)
    {
        var e = MessageStatusEvent.FromWebhook(status, errorCode, T0);

        Assert.Equal(new MessageStatus(status.Trim()), e.Status);
        Assert.True(e.Status.IsKnown);
        Assert.Equal(expected, e.ErrorCode);
        Assert.Equal(T0, e.Timestamp);
    }

    [Fact]
    public void FromWebhook_KnownStatus_AllocatesNothing()
    {
        _ = MessageStatusEvent.FromWebhook("delivered", "30003", T0);
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            _ = MessageStatusEvent.FromWebhook("delivered", "30003", T0);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void Reduce_TenEvents_AllocatesNothing()
    {
        MessageStatusEvent[] events =
        [
            E(MessageStatus.Accepted, 0), E(MessageStatus.Queued, 1), E(MessageStatus.Sending, 2), E(MessageStatus.Sent, 3),
            E(MessageStatus.Sent, 3), E(MessageStatus.Undelivered, 4, 30003), E(MessageStatus.Delivered, 5), E(MessageStatus.Read, 6),
            E("future_status", 7), E(MessageStatus.Delivered, 5),
        ];
        _ = MessageStatusReducer.Reduce(events);
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            _ = MessageStatusReducer.Reduce(events);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    private static bool Identical(MessageStatusEvent a, MessageStatusEvent b) =>
        string.Equals(a.Status.Value, b.Status.Value, StringComparison.Ordinal)
        && a.Timestamp.UtcTicks == b.Timestamp.UtcTicks
        && a.Timestamp.Offset == b.Timestamp.Offset
        && a.ErrorCode == b.ErrorCode;

    private static void AssertIdentical(MessageStatusEvent expected, MessageStatusEvent actual)
    {
        Assert.Equal(expected.Status.Value, actual.Status.Value);
        Assert.Equal(expected.Timestamp.UtcTicks, actual.Timestamp.UtcTicks);
        Assert.Equal(expected.Timestamp.Offset, actual.Timestamp.Offset);
        Assert.Equal(expected.ErrorCode, actual.ErrorCode);
    }

    private static IEnumerable<MessageStatusEvent[]> Permutations(MessageStatusEvent[] items)
    {
        if (items.Length <= 1)
        {
            yield return items;
            yield break;
        }

        for (var i = 0; i < items.Length; i++)
        {
            var rest = items.Where((_, j) => j != i).ToArray();
            foreach (var tail in Permutations(rest))
            {
                yield return [items[i], .. tail];
            }
        }
    }
}
