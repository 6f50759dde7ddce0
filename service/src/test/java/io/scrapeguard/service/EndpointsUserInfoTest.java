package io.scrapeguard.service;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What the endpoints file and the progress lines may show of a registry URL with credentials. */
class EndpointsUserInfoTest {

    @Test
    void userInfoIsCutWholeEvenWhenThePasswordHoldsAtOrSlash() {
        assertThat(Endpoints.withoutUserInfo("http://guard:pw@127.0.0.1:8081/apis/ccompat/v7"))
                .isEqualTo("http://127.0.0.1:8081/apis/ccompat/v7");
        for (String password : new String[] {"p@ss", "p/ss", "a@b/c@d"}) {
            String shown =
                    Endpoints.withoutUserInfo(
                            "https://guard:" + password + "@registry.example:8443/apis/ccompat/v7");
            assertThat(shown)
                    .as(password)
                    .isEqualTo("https://registry.example:8443/apis/ccompat/v7")
                    .doesNotContain("ss")
                    .doesNotContain("guard");
        }
    }

    @Test
    void urlsWithoutUserInfoAreLeftAlone() {
        assertThat(Endpoints.withoutUserInfo("http://127.0.0.1:8081/apis/ccompat/v7"))
                .isEqualTo("http://127.0.0.1:8081/apis/ccompat/v7");
        assertThat(Endpoints.withoutUserInfo("127.0.0.1:9092")).isEqualTo("127.0.0.1:9092");
        assertThat(Endpoints.withoutUserInfo(null)).isNull();
    }
}
