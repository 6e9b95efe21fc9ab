package dev.microforge.datasets.io;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.microforge.datasets.Volume;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every real TIFF of the test data loads with the shape and per-label voxel counts that libtiff + NumPy give
 * (reference/tiff_reference.json, made by reference/tiff_reference.py; see reference/README.md).
 */
class RealVolumesTest {
    static Stream<String> files() throws IOException {
        JsonNode root = new ObjectMapper().readTree(TestFiles.resource("reference/tiff_reference.json").toFile());
        List<String> names = new ArrayList<>();
        root.fieldNames().forEachRemaining(names::add);
        return names.stream();
    }

    @ParameterizedTest
    @MethodSource("files")
    void loadsWithTheReferenceShapeAndCounts(String file) throws IOException {
        JsonNode ref = new ObjectMapper().readTree(TestFiles.resource("reference/tiff_reference.json").toFile())
                .get(file);
        Volume v = VolumeIO.read(TestFiles.resource("real/" + file));
        // NumPy shape is (pages, rows, cols) = (nz, ny, nx)
        assertEquals(List.of(ref.get("shape").get(0).asInt(), ref.get("shape").get(1).asInt(),
                ref.get("shape").get(2).asInt()), List.of(v.nz(), v.ny(), v.nx()), file);
        SortedMap<Integer, Long> expected = new TreeMap<>();
        Iterator<Map.Entry<String, JsonNode>> it = ref.get("labels").fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            expected.put(Integer.parseInt(e.getKey()), e.getValue().asLong());
        }
        assertEquals(expected, v.labelHistogram(), file);
    }
}
