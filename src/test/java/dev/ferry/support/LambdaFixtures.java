package dev.ferry.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Lambda functions in the emulator, which wants their execution role to exist first. */
public final class LambdaFixtures {

    private LambdaFixtures() {}

    // The IAM SDK is not a dependency of the service; moto needs the role, so it is created over the wire.
    /** Creates the execution role a function needs in the emulator. */
    public static void createRole(String roleName) throws IOException, InterruptedException {
        String form = "Action=CreateRole&Version=2010-05-08&RoleName=" + roleName + "&AssumeRolePolicyDocument="
                + URLEncoder.encode(
                        "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":"
                                + "{\"Service\":\"lambda.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}",
                        StandardCharsets.UTF_8);
        HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(AwsEmulator.endpoint() + "/"))
                                .header("Content-Type", "application/x-www-form-urlencoded")
                                .header(
                                        "Authorization",
                                        "AWS4-HMAC-SHA256 Credential=testing/20260101/us-east-1/iam/aws4_request, "
                                                + "SignedHeaders=host, Signature=0")
                                .POST(HttpRequest.BodyPublishers.ofString(form))
                                .build(),
                        HttpResponse.BodyHandlers.discarding());
    }

    /** A deployment package with a trivial Python handler. */
    public static byte[] zip() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.putNextEntry(new ZipEntry("index.py"));
            zip.write("def handler(event, context):\n    return 1\n".getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        }
        return bytes.toByteArray();
    }
}
