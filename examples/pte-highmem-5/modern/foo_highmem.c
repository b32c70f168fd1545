// SPDX-License-Identifier: GPL-2.0
/*
 * kpath example: highmem mappings that are released in the wrong order, leaked
 * on an error path, or taken against the serie order.
 */
#include <linux/highmem.h>
#include <linux/string.h>

/* kmap_local_page() mappings nest: the last one mapped is unmapped first. */
void foo_copy_page(struct page *to, struct page *from)
{
	char *vto = kmap_local_page(to);
	char *vfrom = kmap_local_page(from);

	memcpy(vto, vfrom, PAGE_SIZE);
	kunmap_local(vto);
	kunmap_local(vfrom);
}

/* The early return keeps the page mapped: one slot of the pool lost for good. */
int foo_fill_page(struct page *page, const void *src, size_t len)
{
	char *addr = kmap(page);

	if (len > PAGE_SIZE)
		return -EINVAL;
	memcpy(addr, src, len);
	kunmap(page);
	return 0;
}

/*
 * Hugh's case: a DEFAULT kmap is pinned while pte_offset() takes a PAGETABLE
 * slot. The order is PAGETABLE2, PAGETABLE, DEFAULT: two tasks taking the two
 * series in opposite orders can each wait for the other's slot forever.
 */
void foo_dump_pte(struct page *page, pmd_t *pmd, unsigned long addr)
{
	unsigned long *buf = kmap(page);
	pte_t *pte = pte_offset(pmd, addr);

	buf[0] = pte_val(*pte);
	pte_kunmap(pte);
	kunmap(page);
}
