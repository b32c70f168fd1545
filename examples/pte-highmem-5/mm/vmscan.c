// SPDX-License-Identifier: GPL-2.0
/*
 * kpath example: the page-out scan of the pte-highmem-5 patch, written for
 * kpath from the patterns discussed in the review thread. swap_out_mm() holds
 * mm->page_table_lock while it walks the page tables, so the mapping must be
 * pte_offset_atomic(), which never blocks; pte_offset() may.
 */
#include <linux/mm.h>
#include <linux/highmem.h>
#include <linux/swap.h>

static int swap_out_pmd(struct mm_struct *mm, struct vm_area_struct *vma,
			pmd_t *dir, unsigned long address, unsigned long end,
			int count)
{
	pte_t *pte_base, *pte;

	pte_base = pte_offset(dir, address);
	pte = pte_base;
	do {
		if (pte_present(*pte)) {
			count -= try_to_swap_out(mm, vma, address, pte);
			if (!count)
				break;
		}
		address += PAGE_SIZE;
		pte++;
	} while (address && address < end);
	pte_kunmap(pte_base);
	return count;
}

static int swap_out_mm(struct mm_struct *mm, int count)
{
	unsigned long address = mm->swap_address;
	struct vm_area_struct *vma;

	spin_lock(&mm->page_table_lock);
	vma = find_vma(mm, address);
	if (vma) {
		pmd_t *dir = pmd_offset(pgd_offset(mm, address), address);

		count = swap_out_pmd(mm, vma, dir, address, vma->vm_end, count);
		mm->swap_address = vma->vm_end;
	}
	spin_unlock(&mm->page_table_lock);
	return count;
}
