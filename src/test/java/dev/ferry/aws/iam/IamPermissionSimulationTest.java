package dev.ferry.aws.iam;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Who is simulated: SimulatePrincipalPolicy takes users and roles, not the sessions STS names. */
class IamPermissionSimulationTest {

    @Test
    void anAssumedRoleSessionIsSimulatedAsItsRole() {
        assertThat(IamPermissionSimulation.principal("arn:aws:sts::123456789012:assumed-role/ferry-migrations/ferry"))
                .isEqualTo("arn:aws:iam::123456789012:role/ferry-migrations");
        assertThat(IamPermissionSimulation.principal(
                        "arn:aws-us-gov:sts::123456789012:assumed-role/ops/botocore-session-1"))
                .isEqualTo("arn:aws-us-gov:iam::123456789012:role/ops");
    }

    @Test
    void usersAndRolesAreThemselves() {
        assertThat(IamPermissionSimulation.principal("arn:aws:iam::123456789012:user/ferry"))
                .isEqualTo("arn:aws:iam::123456789012:user/ferry");
    }
}
