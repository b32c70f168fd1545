// SPDX-License-Identifier: GPL-2.0
/*
 * kpath example: the fork path of the pte-highmem-5 patch (Linux 2.4.18pre2aa2),
 * written for kpath from the patterns discussed in the review thread.
 *
 * dup_mmap() copies the parent's mappings into the child. It holds the child's
 * page_table_lock around copy_page_range() (mm/memory.c), and that is the lock
 * the patch overlooked: copy_page_range() blocks in pte_offset2() with it held.
 */
#include <linux/slab.h>
#include <linux/mm.h>

static int dup_mmap(struct mm_struct *mm, struct mm_struct *oldmm)
{
	struct vm_area_struct *mpnt, *tmp;
	int retval = 0;

	for (mpnt = oldmm->mmap; mpnt; mpnt = mpnt->vm_next) {
		tmp = kmem_cache_alloc(vm_area_cachep, GFP_KERNEL);
		if (!tmp)
			return -ENOMEM;
		*tmp = *mpnt;
		tmp->vm_mm = mm;
		__insert_vm_struct(mm, tmp);

		spin_lock(&mm->page_table_lock);
		retval = copy_page_range(mm, oldmm, mpnt);
		spin_unlock(&mm->page_table_lock);
		if (retval)
			break;
	}
	return retval;
}

int copy_mm(unsigned long clone_flags, struct task_struct *tsk)
{
	struct mm_struct *mm, *oldmm = current->mm;
	int retval;

	mm = allocate_mm();
	if (!mm)
		return -ENOMEM;
	down_write(&oldmm->mmap_sem);
	retval = dup_mmap(mm, oldmm);
	up_write(&oldmm->mmap_sem);
	tsk->mm = mm;
	return retval;
}
