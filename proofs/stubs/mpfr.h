/* mpfr.h — found first by Frama-C units that pass -Iproofs/stubs: the MPFI/MPFR model of
 * mpfi_stubs.h replaces the real header.  Never seen by the C compiler. */
#include "mpfi_stubs.h"
