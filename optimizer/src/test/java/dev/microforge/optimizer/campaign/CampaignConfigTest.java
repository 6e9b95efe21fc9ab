package dev.microforge.optimizer.campaign;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.microforge.datasets.Axis;
import dev.microforge.optimizer.objective.Property;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CampaignConfigTest {
    static String resource(String name) throws IOException {
        try (InputStream in = CampaignConfigTest.class.getResourceAsStream("/campaigns/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void theIssuesExampleParsesAsWritten() throws IOException {
        CampaignConfig c = CampaignConfig.parse(resource("issue-example.json"), "issue-example.json");
        assertEquals("parametric", c.designSpace().type());
        assertEquals("packing", c.designSpace().generator());
        assertArrayEquals(new double[] {0.45, 0.70}, c.designSpace().parameters().get("solidFraction"));
        assertArrayEquals(new double[] {3, 8}, c.designSpace().parameters().get("meanRadius"));
        assertEquals(64L, c.designSpace().fixed().get("size"));
        assertEquals(7L, c.designSpace().fixed().get("seed"));
        assertEquals(1, c.objectives().size());
        assertEquals(Property.TORTUOSITY, c.objectives().get(0).spec().property());
        assertEquals("pore", c.objectives().get(0).spec().phase());
        assertEquals(Axis.Z, c.objectives().get(0).spec().axis());
        assertTrue(c.objectives().get(0).minimize());
        assertEquals(Property.VOLUME_FRACTION, c.constraints().get(0).spec().property());
        assertEquals(0.50, c.constraints().get(0).min());
        assertTrue(Double.isNaN(c.constraints().get(0).max()));
        assertEquals("ei", c.acquisition());
        assertEquals(20, c.budget());
        assertEquals(1, c.batchSize());
        assertEquals(1, c.seed());
        assertNull(c.screening());
        assertEquals(6, c.initialDesignFor(2));
        assertEquals("tortuosity(pore,z)", c.objectives().get(0).spec().label());
    }

    @Test
    void writtenJsonReadsBackToTheSameCampaign() throws IOException {
        CampaignConfig c = CampaignConfig.parse(resource("issue-example.json"), "x");
        CampaignConfig back = CampaignConfig.parse(c.toJson(), "y");
        assertTrue(c.sameAs(back));
        assertEquals(c.toJson(), back.toJson());
        String latent = "{\"designSpace\": {\"type\": \"latent\", \"model\": \"gan\", \"size\": 64},"
                + "\"objectives\": [{\"property\": \"effectiveConductivity\", \"conductivity\": {\"pore\": 1, "
                + "\"cbd\": 0.3}, \"axis\": \"x\", \"goal\": \"maximize\"}, {\"property\": \"surfaceArea\", "
                + "\"phase\": \"active\", \"goal\": \"maximize\"}], \"budget\": 30, \"screening\": {\"surrogate\": "
                + "\"bruggeman\", \"candidates\": 5}}";
        CampaignConfig l = CampaignConfig.parse(latent, "latent");
        assertEquals(8, l.designSpace().size() / 8);
        assertEquals("effectiveConductivity(pore:1.0;cbd:0.3,x)", l.objectives().get(0).spec().label());
        assertEquals(5, l.screening().candidates());
        assertTrue(l.sameAs(CampaignConfig.parse(l.toJson(), "again")));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"budget\": 3}|\"designSpace\" must be an object",
        "{\"designSpace\": {\"type\": \"grid\"}, \"budget\": 3}|designSpace.type must be",
        "BASE,\"budegt\": 3}|unknown field \"budegt\"",
        "BASE}|\"budget\" is required",
        "BASE,\"budget\": 0}|\"budget\" must be 1..100000",
        "BASE,\"budget\": 5, \"batchSize\": 9}|\"batchSize\" must be 1..budget",
        "BASE,\"budget\": 5, \"acquisition\": \"kg\"}|unknown acquisition 'kg'",
        "BASE,\"budget\": 2.5}|\"budget\" must be a whole number",
        "{\"designSpace\": {\"type\": \"parametric\", \"generator\": \"packing\", \"parameters\": {\"solidFraction\": "
            + "[0.7]}}, \"objectives\": [], \"budget\": 3}|designSpace.parameters.solidFraction must be [lower, upper]",
        "{\"designSpace\": {\"type\": \"latent\", \"size\": 64}, \"objectives\": [{\"property\": \"surfaceArea\", "
            + "\"phase\": \"pore\", \"goal\": \"maximize\"}], \"budget\": 3}|designSpace.model",
        "{\"designSpace\": {\"type\": \"latent\", \"model\": \"m\"}, \"objectives\": [{\"property\": \"porosity\", "
            + "\"goal\": \"maximize\"}], \"budget\": 3}|unknown property 'porosity'",
        "{\"designSpace\": {\"type\": \"latent\", \"model\": \"m\"}, \"objectives\": [{\"property\": \"tortuosity\", "
            + "\"phase\": \"pore\", \"goal\": \"maximize\"}], \"budget\": 3}|tortuosity needs an \"axis\"",
        "{\"designSpace\": {\"type\": \"latent\", \"model\": \"m\"}, \"objectives\": [{\"property\": \"tortuosity\", "
            + "\"phase\": \"pore\", \"axis\": \"w\", \"goal\": \"up\"}], \"budget\": 3}|goal must be",
        "{\"designSpace\": {\"type\": \"latent\", \"model\": \"m\"}, \"objectives\": [{\"property\": \"surfaceArea\", "
            + "\"phase\": \"pore\", \"goal\": \"minimize\"}], \"constraints\": [{\"property\": \"volumeFraction\", "
            + "\"phase\": \"pore\"}], \"budget\": 3}|needs \"min\" or \"max\"",
        "{not json|not valid JSON"})
    void badCampaignsAreRefusedWithAMessageNamingTheField(String json, String expected) {
        String base = "{\"designSpace\": {\"type\": \"latent\", \"model\": \"m\"}, \"objectives\": [{\"property\": "
                + "\"surfaceArea\", \"phase\": \"pore\", \"goal\": \"minimize\"}]";
        String text = json.startsWith("BASE") ? base + json.substring(4) : json;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CampaignConfig.parse(text, "c.json"));
        assertTrue(e.getMessage().startsWith("c.json: "), e.getMessage());
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
    }
}
