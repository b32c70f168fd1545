// SPDX-License-Identifier: GPL-2.0
/*
 * kpath example: move_one_page() of the pte-highmem-5 patch, written for kpath
 * from the patterns discussed in the review thread ("mremap ... double
 * PAGETABLE kmap in a row").
 */
#include <linux/mm.h>
#include <linux/highmem.h>

static int move_one_page(struct mm_struct *mm, unsigned long old_addr,
			 unsigned long new_addr)
{
	pmd_t *src_pmd = pmd_offset(pgd_offset(mm, old_addr), old_addr);
	pmd_t *dst_pmd = pmd_offset(pgd_offset(mm, new_addr), new_addr);
	pte_t *src, *dst;

	src = pte_offset(src_pmd, old_addr);
	/* A second PAGETABLE slot while the first is pinned. */
	dst = pte_offset(dst_pmd, new_addr);
	if (!pte_none(*src))
		set_pte(dst, ptep_get_and_clear(src));
	pte_kunmap(dst);
	pte_kunmap(src);
	return 0;
}
