// Quickstart: the support-case story, start to finish. It runs against the embedded TwilioEmulator when
// TWILIO_ACCOUNT_SID is not set, and against your Twilio account when it is (then set Quickstart:SmsNumber and
// Quickstart:WhatsAppNumber to your Twilio sender numbers, for example Quickstart__SmsNumber=+1…).
//
//   ./build.sh quickstart        (or: dotnet run --project samples/Quickstart)
using OmniChannel.Messaging.Quickstart;

var outcome = await QuickstartApp.RunAsync(args, Console.Out);
return outcome.Succeeded ? 0 : 1;
