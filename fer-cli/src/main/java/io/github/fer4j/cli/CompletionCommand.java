package io.github.fer4j.cli;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code fer generate-completion}: prints a bash (and zsh) completion script for every command and option, written by
 * picocli's {@link AutoComplete} from the same definitions that parse the command line.
 */
@Command(name = "generate-completion", header = "Print a bash completion script for fer",
        mixinStandardHelpOptions = true,
        description = "Prints a bash completion script (zsh reads it too, after 'autoload -U +X bashcompinit && bashcompinit'). "
                + "Load it for this shell with: source <(./fer generate-completion); or save it under "
                + "/etc/bash_completion.d/fer.")
final class CompletionCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        // The script covers the whole command line, so it is written from the parent with every command built.
        CommandLine root = Fer.fullCommandLine();
        spec.commandLine().getOut().print(AutoComplete.bash("fer", root));
        spec.commandLine().getOut().flush();
        return 0;
    }
}
