['pom.xml', 'provium.toml', 'src/test/lua/example.lua', 'src/main/module/Kbuild', 'src/main/module/provium_example.c',
 '.luarc.json', '.provium/luals/provium.lua'].each { assert new File(basedir, it).isFile() : "provium:init wrote ${it}" }
assert new File(basedir, '.luarc.json').text.contains('".provium/luals"')
assert new File(basedir, '.provium/luals/provium.lua').text.startsWith('---@meta')
assert new File(basedir, 'target/module/provium_example.ko').isFile()
def suite = new groovy.xml.XmlSlurper().parse(new File(basedir, 'target/surefire-reports/TEST-example.lua.xml'))
assert suite.testcase.collect { it.@name.text() } == ['the guest runs a Linux kernel', 'the module loads and says so']
assert suite.@failures == '0' && suite.@errors == '0' && suite.@skipped == '0'
def log = new File(basedir, 'build.log').text
assert log.contains('Tests run: 2, Failures: 0, Errors: 0, Skipped: 0')
return true
