import ArgumentParser
import Foundation

/// Runs the root command. Exit statuses: what the command chose (`ExitCode`), 0 for `--help`,
/// 2 for every usage or input error (ArgumentParser's own would be 64).
func runGrayCtl() async -> Never {
    let arguments = CommandLine.arguments.dropFirst()
    if arguments.count == 2, arguments.first == "help", let text = HelpTopics.text(arguments.last!) {
        InputFiles.write(text)
        exit(0)
    }
    do {
        var command = try GrayCtl.parseAsRoot()
        if var asyncCommand = command as? any AsyncParsableCommand {
            try await asyncCommand.run()
        } else {
            try command.run()
        }
        exit(0)
    } catch let code as ExitCode {
        exit(code.rawValue)
    } catch let error as InputError {
        InputFiles.fail("grayctl: \(error)")
    } catch {
        if GrayCtl.exitCode(for: error) == .success {
            InputFiles.write(GrayCtl.fullMessage(for: error) + "\n")
            exit(0)
        }
        InputFiles.fail(GrayCtl.fullMessage(for: error))
    }
}

// A closed pipe (`grayctl release --headless | head`) is a write error to report, not a signal that kills
// the driver of a live release.
signal(SIGPIPE, SIG_IGN)
await runGrayCtl()
