using OmniChannel.Messaging.PostgreSql.Internal;

namespace OmniChannel.Messaging.PostgreSql.Stores;

/// <summary>The suppression list in PostgreSQL: an opt-out recorded by one instance stops a send from every other.</summary>
internal sealed class PostgreSqlSuppressionList(PostgreSqlDatabase database) : ISuppressionList
{
    public async ValueTask<bool> SuppressAsync(MessagingChannel channel, SuppressionScope scope, string recipient, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(recipient);
        return await database.ExecuteAsync(
            $"INSERT INTO {database.Schema}.suppressions (channel, recipient, scope, suppressed_at) VALUES (@channel, @recipient, @scope, @at) ON CONFLICT DO NOTHING",
            cancellationToken,
            ("channel", channel.ToString()),
            ("recipient", recipient),
            ("scope", scope.Value),
            ("at", database.TimeProvider.GetUtcNow())).ConfigureAwait(false) == 1;
    }

    public async ValueTask<bool> ReleaseAsync(MessagingChannel channel, SuppressionScope scope, string recipient, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(recipient);
        return await database.ExecuteAsync(
            $"DELETE FROM {database.Schema}.suppressions WHERE channel = @channel AND recipient = @recipient AND scope = @scope",
            cancellationToken,
            ("channel", channel.ToString()),
            ("recipient", recipient),
            ("scope", scope.Value)).ConfigureAwait(false) == 1;
    }

    public async ValueTask<bool> IsSuppressedAsync(MessagingChannel channel, SuppressionScope scope, string recipient, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(recipient);
        return (bool)(await database.ScalarAsync(
            $"SELECT EXISTS (SELECT 1 FROM {database.Schema}.suppressions WHERE channel = @channel AND recipient = @recipient AND scope IN (@scope, @all))",
            cancellationToken,
            ("channel", channel.ToString()),
            ("recipient", recipient),
            ("scope", scope.Value),
            ("all", SuppressionScope.All.Value)).ConfigureAwait(false))!;
    }
}
