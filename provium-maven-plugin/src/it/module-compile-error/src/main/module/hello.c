#include <linux/module.h>
#include <linux/init.h>

static int __init hello_init(void) { return undeclared_thing; }
module_init(hello_init);
MODULE_LICENSE("GPL");
