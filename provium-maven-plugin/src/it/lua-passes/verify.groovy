// provium:test ran both files with no Java class and wrote one Surefire-format report per Lua file.
def reports = new File(basedir, 'target/surefire-reports')
def strings = new File(reports, 'TEST-strings.lua.xml')
def routes = new File(reports, 'TEST-net.routes.lua.xml')
assert strings.isFile() : "no ${strings}"
assert routes.isFile() : "no ${routes}"
assert !reports.listFiles().any { it.name.endsWith('.tmp') } : 'a temporary report was left behind'

def suite = new groovy.xml.XmlSlurper().parse(strings)
assert suite.@name == 'strings.lua'
assert suite.@tests == '3'
assert suite.@skipped == '1'
assert suite.@failures == '0'
def cases = suite.testcase.collect { [it.@classname.text(), it.@name.text()] }
assert cases == [['strings.lua', 'upper-cases'], ['strings.lua', 'packs little-endian'], ['strings.lua', 'not yet']]
def todo = suite.testcase.find { it.@name == 'not yet' }
assert todo.skipped.@message == 'waiting for the driver'

def net = new groovy.xml.XmlSlurper().parse(routes)
assert net.testcase.@classname == 'net/routes.lua'
assert net.testcase.@name == 'a route'

def inProcess = new File(basedir, 'target/in-process-reports')
assert new groovy.xml.XmlSlurper().parse(new File(inProcess, 'TEST-strings.lua.xml')).testcase.size() == 3
assert new File(inProcess, 'TEST-net.routes.lua.xml').isFile()

def log = new File(basedir, 'build.log').text
assert log.count('Tests run: 4, Failures: 0, Errors: 0, Skipped: 1') == 2
assert !log.contains('BUILD FAILURE')
return true
