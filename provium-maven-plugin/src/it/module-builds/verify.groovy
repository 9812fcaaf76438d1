assert new File(basedir, 'target/module/hello.ko').isFile() : 'the module was built into target/module'
assert !new File(basedir, 'src/main/module/hello.o').exists() : 'the source tree stays clean'
def log = new File(basedir, 'build.log').text
assert log =~ /provium: building .* against guest kernel \S+ \(/
return true
