/* SPDX-License-Identifier: MIT */
/*
 * Bodies of the SMS_SoftwareUpdate methods (AcceptEULA, GetEULA,
 * SetEnforcement, SyncNow), registered with the provider's dispatch table.
 */
#ifndef SMSPROV_SUM_METHODS_H
#define SMSPROV_SUM_METHODS_H

#include "provider/provider.h"

/* Registers every software-update method body on p. */
int sum_register_methods(provider *p, smsprov_error *err);

#endif
