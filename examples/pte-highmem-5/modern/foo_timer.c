// SPDX-License-Identifier: GPL-2.0
/*
 * kpath example: a timer callback runs in softirq context, so it must not
 * take a mutex. Nothing in foo_poll() itself says so: timer_setup() does.
 */
#include <linux/mutex.h>
#include <linux/timer.h>

struct foo_dev {
	struct timer_list poll_timer;
	struct mutex cfg_lock;
	int polls;
};

static void foo_poll(struct timer_list *t)
{
	struct foo_dev *dev = from_timer(dev, t, poll_timer);

	mutex_lock(&dev->cfg_lock);
	dev->polls++;
	mutex_unlock(&dev->cfg_lock);
	mod_timer(&dev->poll_timer, jiffies + HZ);
}

void foo_start(struct foo_dev *dev)
{
	mutex_init(&dev->cfg_lock);
	timer_setup(&dev->poll_timer, foo_poll, 0);
	mod_timer(&dev->poll_timer, jiffies + HZ);
}
