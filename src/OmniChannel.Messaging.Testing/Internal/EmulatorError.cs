namespace OmniChannel.Messaging.Testing.Internal;

/// <summary>A Twilio error answer: HTTP status plus Twilio's code and message, written as <c>{code, message, more_info, status}</c>.</summary>
internal sealed class EmulatorError(int status, int code, string message) : Exception(message)
{
    public int Status { get; } = status;

    public int Code { get; } = code;

    public static EmulatorError NotFound(string path) =>
        new(404, 20404, $"The requested resource {path} was not found");

    public static EmulatorError InvalidParameter(string message) => new(400, 20001, message);
}
