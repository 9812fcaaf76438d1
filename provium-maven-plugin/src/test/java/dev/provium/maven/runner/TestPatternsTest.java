package dev.provium.maven.runner;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

class TestPatternsTest {

    private static boolean path(String glob, String path) {
        return Pattern.compile(TestPatterns.pathGlob(glob)).matcher(path).matches();
    }

    @Test
    void aSingleStarStaysInItsDirectory() {
        assertThat(path("net/*.lua", "net/routes.lua")).isTrue();
        assertThat(path("net/*.lua", "net/deep/routes.lua")).isFalse();
        assertThat(path("*.lua", "routes.lua")).isTrue();
    }

    @Test
    void aDoubleStarCrossesDirectoriesIncludingNone() {
        assertThat(path("**/routes.lua", "routes.lua")).isTrue();
        assertThat(path("**/routes.lua", "a/b/routes.lua")).isTrue();
        assertThat(path("net/**", "net/a/b.lua")).isTrue();
        assertThat(path("**/routes.lua", "a/xroutes.lua")).isFalse();
    }

    @Test
    void dotsAreLiteral() {
        assertThat(path("routes.lua", "routesXlua")).isFalse();
    }

    @Test
    void onlyLuaFilePatternsAreOurs() {
        assertThat(TestPatterns.namesLuaTests("net/routes.lua")).isTrue();
        assertThat(TestPatterns.namesLuaTests("routes.lua#a test")).isTrue();
        assertThat(TestPatterns.namesLuaTests("net/*")).isTrue();
        assertThat(TestPatterns.namesLuaTests("FooTest,BarTest#baz")).isFalse();
        assertThat(TestPatterns.namesOnlyJavaTests("FooTest")).isTrue();
        assertThat(TestPatterns.namesOnlyJavaTests("FooTest,x.lua")).isFalse();
        assertThat(TestPatterns.namesOnlyJavaTests(null)).isFalse();
        assertThat(TestPatterns.namesOnlyJavaTests(" ")).isFalse();
    }

    @Test
    void testNamesTakeStarsAsWildcards() {
        assertThat(Pattern.compile(TestPatterns.nameGlob("a * test")).matcher("a big test").matches()).isTrue();
        assertThat(Pattern.compile(TestPatterns.nameGlob("a (1)")).matcher("a (1)").matches()).isTrue();
        assertThat(Pattern.compile(TestPatterns.nameGlob("a (1)")).matcher("a 1").matches()).isFalse();
    }

    @Test
    void xmlLosesOnlyWhatXmlCannotCarry() {
        assertThat(XmlReports.clean("a\u0001b\tc\nd")).isEqualTo("a?b\tc\nd");
        assertThat(XmlReports.fileName("net/routes.lua")).isEqualTo("TEST-net.routes.lua.xml");
    }
}
