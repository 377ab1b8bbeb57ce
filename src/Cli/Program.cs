using Distribution.Cli;

return await DistributionCommands.RunAsync(args, url => new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromMinutes(5) }, Console.Out);
