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

// the Open Test Reporting event log, asked for with -Dprovium.openTestReport=true, in both modes
[reports, inProcess].each { dir ->
    def file = new File(dir, 'open-test-report.xml')
    assert file.isFile() : "no ${file}"
    def events = new groovy.xml.XmlSlurper().parse(file)
    def names = events.started.collectEntries { [it.@id.text(), it.@name.text()] }
    assert names.values().containsAll(['strings.lua', 'upper-cases', 'packs little-endian', 'not yet', 'net/routes.lua', 'a route'])
    def status = events.finished.collectEntries { [names[it.@id.text()], it.result.@status.text()] }
    assert status['upper-cases'] == 'SUCCESSFUL'
    assert status['a route'] == 'SUCCESSFUL'
    assert status['not yet'] in ['SKIPPED', 'ABORTED']
}

def log = new File(basedir, 'build.log').text
assert log.contains('provium: Open Test Reporting XML: ' + new File(reports, 'open-test-report.xml'))
assert log.count('Tests run: 4, Failures: 0, Errors: 0, Skipped: 1') == 2
assert !log.contains('BUILD FAILURE')
return true
