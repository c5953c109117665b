/*
 * The one global the library reads: the running verb's name, for its
 * messages, as sbase keeps argv0. verb_main sets it before the verb
 * runs; a file that words a message reads it here, in a file that
 * calls nothing, so that no lower file calls up into verb.c to learn
 * it.
 */
#include "ipc.h"

const char *verb_name;
