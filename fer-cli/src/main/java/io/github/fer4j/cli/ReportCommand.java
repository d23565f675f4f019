package io.github.fer4j.cli;

import io.github.fer4j.report.Report;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code fer report}: draws the figures and the HTML page of a finished study again, without training. */
@Command(name = "report", header = "Redraw the figures and index.html from saved results", mixinStandardHelpOptions = true,
        description = "Draw every figure (PNG and SVG) and index.html again from the saved results of fer reproduce. "
                + "Nothing is retrained; the page opens offline from disk.")
final class ReportCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DIR", description = "A folder written by fer reproduce.")
    Path dir;

    @Override
    public Integer call() throws Exception {
        int files = Report.render(dir).size();
        spec.commandLine().getOut().printf("report: %s (%d figure files)%n", dir.resolve(Report.INDEX).toAbsolutePath().normalize(), files);
        spec.commandLine().getOut().flush();
        return 0;
    }
}
