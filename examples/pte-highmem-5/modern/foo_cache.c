// SPDX-License-Identifier: GPL-2.0
/*
 * kpath example: today's most common sleep-in-atomic, an allocation that may
 * sleep (GFP_KERNEL enters direct reclaim) under a spinlock.
 */
#include <linux/slab.h>
#include <linux/spinlock.h>

struct foo_item {
	struct list_head node;
	int key;
};

struct foo_cache {
	spinlock_t lock;
	struct list_head items;
};

int foo_cache_add(struct foo_cache *c, int key)
{
	struct foo_item *it;

	spin_lock(&c->lock);
	it = kmalloc(sizeof(*it), GFP_KERNEL);
	if (!it) {
		spin_unlock(&c->lock);
		return -ENOMEM;
	}
	it->key = key;
	list_add(&it->node, &c->items);
	spin_unlock(&c->lock);
	return 0;
}

/* The same with a mask that cannot sleep: no finding. */
int foo_cache_add_atomic(struct foo_cache *c, int key)
{
	struct foo_item *it;
	unsigned long flags;

	spin_lock_irqsave(&c->lock, flags);
	it = kmalloc(sizeof(*it), GFP_ATOMIC);
	if (it) {
		it->key = key;
		list_add(&it->node, &c->items);
	}
	spin_unlock_irqrestore(&c->lock, flags);
	return it ? 0 : -ENOMEM;
}
