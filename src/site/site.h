/* SPDX-License-Identifier: MIT */
/*
 * site: the site hierarchy and replication to child sites.  For now the
 * durable replication queue (SMSPROV_ReplicationJob) that
 * ResendObjectToAllSites() fills; the transport is a later feature.
 */
#ifndef SMSPROV_SITE_H
#define SMSPROV_SITE_H

#include "provider/provider.h"

/*
 * Queues one replication job per child site (SMS_Site rows reporting to
 * this site) for the object `obj`; *queued gets the number of jobs.
 * Runs in the caller's transaction.
 */
int site_queue_resend(provider *p, const cim_instance *obj, uint32_t *queued,
                      smsprov_error *err);

/* Registers ResendObjectToAllSites on every class that declares it. */
int site_register_methods(provider *p, smsprov_error *err);

#endif
