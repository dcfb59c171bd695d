using Npgsql;
using OmniChannel.Messaging.PostgreSql.Internal;

namespace OmniChannel.Messaging.PostgreSql.Stores;

/// <summary>The suppression list in PostgreSQL: an opt-out recorded by one instance stops a send from every other.</summary>
internal sealed class PostgreSqlSuppressionList(PostgreSqlDatabase database) : ISuppressionList
{
    public async ValueTask<bool> SuppressAsync(MessagingChannel channel, SuppressionScope scope, string recipient, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(recipient);
        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var connectionScope = connection.ConfigureAwait(false);
        var command = new NpgsqlCommand(
            $"INSERT INTO {database.Schema}.suppressions (channel, recipient, scope, suppressed_at) VALUES (@channel, @recipient, @scope, @at) ON CONFLICT DO NOTHING",
            connection);
        await using var commandScope = command.ConfigureAwait(false);
        command.Parameters.AddWithValue("channel", channel.ToString());
        command.Parameters.AddWithValue("recipient", recipient);
        command.Parameters.AddWithValue("scope", scope.Value);
        command.Parameters.AddWithValue("at", database.TimeProvider.GetUtcNow());
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    public async ValueTask<bool> ReleaseAsync(MessagingChannel channel, SuppressionScope scope, string recipient, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(recipient);
        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var connectionScope = connection.ConfigureAwait(false);
        var command = new NpgsqlCommand(
            $"DELETE FROM {database.Schema}.suppressions WHERE channel = @channel AND recipient = @recipient AND scope = @scope",
            connection);
        await using var commandScope = command.ConfigureAwait(false);
        command.Parameters.AddWithValue("channel", channel.ToString());
        command.Parameters.AddWithValue("recipient", recipient);
        command.Parameters.AddWithValue("scope", scope.Value);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    public async ValueTask<bool> IsSuppressedAsync(MessagingChannel channel, SuppressionScope scope, string recipient, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(recipient);
        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var connectionScope = connection.ConfigureAwait(false);
        var command = new NpgsqlCommand(
            $"SELECT EXISTS (SELECT 1 FROM {database.Schema}.suppressions WHERE channel = @channel AND recipient = @recipient AND scope IN (@scope, @all))",
            connection);
        await using var commandScope = command.ConfigureAwait(false);
        command.Parameters.AddWithValue("channel", channel.ToString());
        command.Parameters.AddWithValue("recipient", recipient);
        command.Parameters.AddWithValue("scope", scope.Value);
        command.Parameters.AddWithValue("all", SuppressionScope.All.Value);
        return (bool)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }
}
