package dev.microforge.optimizer.campaign;

import java.nio.file.Path;

/**
 * A campaign in a child JVM, for {@link CampaignKillTest}: {@code CampaignChild CONFIG DIR [resume]}. The test kills
 * it with SIGKILL while it runs.
 */
public final class CampaignChild {
    private CampaignChild() {
    }

    public static void main(String[] args) throws Exception {
        boolean resume = args.length > 2 && args[2].equals("resume");
        CampaignConfig config = CampaignConfig.read(Path.of(args[0]));
        Campaign.run(config, Path.of(args[1]), Campaign.Options.defaults().withResume(resume).withThreads(1), null);
    }
}
