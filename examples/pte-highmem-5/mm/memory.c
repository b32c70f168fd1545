// SPDX-License-Identifier: GPL-2.0
/*
 * kpath example: copy_page_range() of the pte-highmem-5 patch, written for kpath
 * from the patterns discussed in the review thread.
 */
#include <linux/mm.h>
#include <linux/highmem.h>

/*
 * copy one vm_area from one task to the other. Assumes the page tables
 * already present in the new task to be cleared in the whole range
 * covered by this vma.
 *
 * dst->page_table_lock is held on entry and exit,
 * but may be dropped within pmd_alloc() and pte_alloc().
 */
int copy_page_range(struct mm_struct *dst, struct mm_struct *src,
		    struct vm_area_struct *vma)
{
	unsigned long address = vma->vm_start;
	unsigned long end = vma->vm_end;
	pgd_t *src_pgd = pgd_offset(src, address);
	pgd_t *dst_pgd = pgd_offset(dst, address);

	while (address < end) {
		pmd_t *src_pmd, *dst_pmd;
		pte_t *src_pte, *dst_pte;

		dst_pmd = pmd_alloc(dst, dst_pgd, address);
		if (!dst_pmd)
			goto nomem;
		src_pmd = pmd_offset(src_pgd, address);

		/* Maps the child's page table in the PAGETABLE serie. */
		dst_pte = pte_alloc(dst, dst_pmd, address);
		if (!dst_pte)
			goto nomem;

		/*
		 * The parent's page table goes in the PAGETABLE2 serie. The bug:
		 * pte_offset2() may block, and the caller still holds dst's lock.
		 */
		src_pte = pte_offset2(src_pmd, address);
		spin_lock(&src->page_table_lock);
		if (!pte_none(*src_pte))
			set_pte(dst_pte, *src_pte);
		spin_unlock(&src->page_table_lock);
		pte_kunmap(src_pte);
		pte_kunmap(dst_pte);

		address += PAGE_SIZE;
	}
	return 0;

nomem:
	return -ENOMEM;
}
