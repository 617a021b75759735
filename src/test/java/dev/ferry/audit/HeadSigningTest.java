package dev.ferry.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.support.TestAuditKey;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.Signature;
import java.security.SignatureException;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.mock.env.MockEnvironment;

class HeadSigningTest {

    @Test
    void theDerivedPublicKeyIsTheOneTheJdkMadeWithThePrivateKey() throws Exception {
        for (int i = 0; i < 20; i++) {
            KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
            assertThat(HeadSigning.publicOf(pair.getPrivate()).getEncoded())
                    .isEqualTo(pair.getPublic().getEncoded());
        }
    }

    @Test
    void aSignatureVerifiesWithThePublishedKeyAndNotAfterOneByteChanges() throws Exception {
        HeadSigning signing = new HeadSigning(
                new AuditProperties(TestAuditKey.pem()),
                new MockEnvironment().withProperty("spring.datasource.url", "jdbc:postgresql://db/ferry"));
        byte[] document = "{\"heads\":[]}".getBytes(StandardCharsets.UTF_8);
        byte[] signature = signing.sign(document);
        PublicKey key = fromPem(signing.publicKeyPem());
        assertThat(verify(key, document, signature)).isTrue();
        document[3] ^= 1;
        assertThat(verify(key, document, signature)).isFalse();
        assertThat(signing.keyId()).hasSize(16).isHexadecimal();
    }

    @Test
    void theEmbeddedDatabaseKeepsItsKeyBesideItsDataAndReusesIt(@TempDir Path dir) throws Exception {
        MockEnvironment embedded = new MockEnvironment()
                .withProperty(
                        "ferry.database.embedded.data-directory",
                        dir.resolve("pgdata").toString());
        HeadSigning first = new HeadSigning(new AuditProperties(null), embedded);
        Path file = dir.resolve(HeadSigning.FILE_NAME);
        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(new HeadSigning(new AuditProperties(null), embedded).publicKeyPem())
                .isEqualTo(first.publicKeyPem());
        assertThat(new HeadSigning(new AuditProperties(file.toString()), new MockEnvironment()).keyId())
                .isEqualTo(first.keyId());
    }

    @Test
    void anExternalDatabaseWithoutAKeySignsNothing() {
        HeadSigning none = new HeadSigning(
                new AuditProperties(""),
                new MockEnvironment().withProperty("spring.datasource.url", "jdbc:postgresql://db/ferry"));
        assertThatThrownBy(() -> none.sign(new byte[1])).isInstanceOf(AuditSigningKeyMissingException.class);
        assertThatThrownBy(none::publicKeyPem).isInstanceOf(AuditSigningKeyMissingException.class);
    }

    static PublicKey fromPem(String pem) throws Exception {
        String base64 = pem.replaceAll("-----(BEGIN|END) PUBLIC KEY-----", "").replaceAll("\\s", "");
        return KeyFactory.getInstance("Ed25519")
                .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(base64)));
    }

    /** Whether {@code signature} verifies; a malformed one (its R no point of the curve) does not either. */
    static boolean verify(PublicKey key, byte[] document, byte[] signature) throws Exception {
        Signature verifier = Signature.getInstance("Ed25519");
        verifier.initVerify(key);
        verifier.update(document);
        try {
            return verifier.verify(signature);
        } catch (SignatureException malformed) {
            return false;
        }
    }
}
