/* gmp.h — found first by Frama-C units that pass -Iproofs/stubs (-nostdinc hides the system
 * gmp.h anyway): the GMP model of gmp_stubs.h replaces the real header.  Never seen by the C
 * compiler (the Makefile has no -Iproofs/stubs). */
#include "gmp_stubs.h"
