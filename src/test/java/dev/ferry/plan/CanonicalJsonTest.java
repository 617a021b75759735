package dev.ferry.plan;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class CanonicalJsonTest {

    @Test
    void sortsKeysRecursivelyWithoutWhitespace() throws Exception {
        ObjectMapper json = new ObjectMapper();

        String canonical = CanonicalJson.write(
                json.readTree("{ \"b\": [ {\"z\": 1, \"a\": 2} ], \"a\": {\"y\": null, \"x\": \"v\"} }"));

        assertThat(canonical).isEqualTo("{\"a\":{\"x\":\"v\",\"y\":null},\"b\":[{\"a\":2,\"z\":1}]}");
    }

    @Test
    void hashesDoNotDependOnHowFloatsWereRead() throws Exception {
        String text = "{\"multiplier\": 1.50}";
        ObjectMapper doubles = new ObjectMapper();
        ObjectMapper decimals = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

        assertThat(CanonicalJson.sha256(decimals.readTree(text)))
                .isEqualTo(CanonicalJson.sha256(doubles.readTree(text)));
    }
}
